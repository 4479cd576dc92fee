#: Broken below.
X = 1
Y = (
