#: Seconds before a request gives up.
TIMEOUT = 10

#: Name of the service.
NAME = "a"

#: Turns the flag on.
#:
#: .. deprecated:: 1.11
#:    Always on now.
FLAG = True

#: Something new.
EXTRA = []
