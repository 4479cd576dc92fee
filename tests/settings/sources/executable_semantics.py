"""
Differential-test fixture: Python's own semantics for module-level settings.

Importable without Django or any third-party package; executing it is safe (standard library
only, no I/O).  A static reader's "effective default" for every UPPER_CASE name must equal
what executing this module yields (see executable_semantics.expected.json), or the reader must
flag the name as not statically known.
"""
import contextlib

# Repeated unconditional assignment: the last one wins.
REPEATED = 'first'
REPEATED = 'second'

# Repeated with an unconditional reference to the earlier value.
APPENDED_NAME = 'base'
APPENDED_NAME = APPENDED_NAME + '-suffix'

# Conditional on a constant, so it runs: the conditional value wins when executed.
FLAG_ON = True
CONDITIONAL_TAKEN = 'default'
if FLAG_ON:
    CONDITIONAL_TAKEN = 'from-if'

# Conditional on a constant that is false: the unconditional value stays.
CONDITIONAL_SKIPPED = 'default'
if not FLAG_ON:
    CONDITIONAL_SKIPPED = 'never'

# Defined only under a condition that is false: the name does not exist.
if not FLAG_ON:
    ONLY_IN_FALSE_BRANCH = 'never'

# if/else: exactly one branch runs.
if FLAG_ON:
    IF_ELSE = 'if-branch'
else:
    IF_ELSE = 'else-branch'

# Modified in place: .append, +=, .insert, .extend
LIST_MODIFIED = ['a']
LIST_MODIFIED.append('b')
LIST_MODIFIED += ['c']
LIST_MODIFIED.insert(0, 'z')
LIST_MODIFIED.extend(['d'])

# Dict modified: [k] =, .update, .setdefault, nested [k][k2] =
DICT_MODIFIED = {'k': 1, 'nested': {'x': 1}}
DICT_MODIFIED['k'] = 2
DICT_MODIFIED.update({'j': 3})
DICT_MODIFIED.setdefault('z', 0)
DICT_MODIFIED.setdefault('k', 99)
DICT_MODIFIED['nested']['x'] = 2
DICT_MODIFIED.setdefault('made', {})['inner'] = True

# Tuple += builds a new tuple.
TUPLE_EXTENDED = ('a',)
TUPLE_EXTENDED += ('b',)

# Deleted: the name does not exist after import.
DELETED = 'gone'
del DELETED

# Deleted key.
DICT_WITH_DELETED_KEY = {'keep': 1, 'drop': 2}
del DICT_WITH_DELETED_KEY['drop']

# Walrus: both names are bound.
WALRUS_OUTER = (WALRUS_INNER := 7) + 1

# for-loop target keeps the last value; accumulation in a loop.
for LOOP_TARGET in ('one', 'two', 'three'):
    pass
LOOP_COUNTER = 0
for _item in range(3):
    LOOP_COUNTER += 1
for _name in ('LOOP_ASSIGNED',):
    LOOP_ASSIGNED = 'set-in-loop'

# while that never runs / runs once.
while False:
    WHILE_NEVER = 1
WHILE_ONCE = 0
while WHILE_ONCE < 1:
    WHILE_ONCE += 1

# try/except/else/finally
try:
    TRY_VALUE = 'try'
except ValueError:
    TRY_VALUE = 'except'
try:
    raise KeyError('x')
except KeyError:
    EXCEPT_VALUE = 'except'
try:
    TRY_ELSE = 'try'
except ValueError:
    pass
else:
    TRY_ELSE = 'else'
finally:
    FINALLY_VALUE = 'finally'

# with: the body runs.
with contextlib.nullcontext():
    WITH_VALUE = 'with'

# match (Python 3.10+)
match FLAG_ON:
    case True:
        MATCHED = 'true-case'
    case _:
        MATCHED = 'default-case'

# Annotated assignment, and an annotation without a value (no binding).
ANNOTATED: int = 4
ANNOTATION_ONLY: int

# Chained and unpacking assignments.
CHAIN_A = CHAIN_B = 'chained'
UNPACK_A, UNPACK_B = 1, 2
(NESTED_A, (NESTED_B, NESTED_C)) = ('x', ('y', 'z'))
STAR_FIRST, *STAR_REST = [1, 2, 3]

# Aliasing: modifying through another name changes the original (hard statically: flag it).
ALIASED = [1]
ALIAS_OF_ALIASED = ALIASED
ALIAS_OF_ALIASED.append(2)

# Derived from another setting at import time.
BASE_URL = 'http://localhost:8000'
API_URL = BASE_URL + '/api/v1'
BASE_URL = 'https://example.invalid'

# globals() writes: a name that exists only at run time.
globals()['DYNAMIC_' + 'NAME'] = 'dynamic'

# A lambda is the value, not its result.
LAZY = lambda settings: settings.BASE_URL  # noqa: E731

# Augmented assignment on a string and a number.
COUNTER = 1
COUNTER *= 10
GREETING = 'hello'
GREETING += ' world'
