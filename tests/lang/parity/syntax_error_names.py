try:
    raise SyntaxError("bad token")
except SyntaxError as e:
    print(type(e).__name__, e, e.args)
try:
    raise IndentationError("odd indent")
except SyntaxError as e:
    print(type(e).__name__, e, isinstance(e, IndentationError))
try:
    raise TabError("tabs")
except IndentationError as e:
    print(type(e).__name__, e, issubclass(TabError, SyntaxError))
print(issubclass(SyntaxError, Exception), IndentationError.__name__)


class MyErr(SyntaxError):
    pass


try:
    raise MyErr("mine")
except SyntaxError as e:
    print(type(e).__name__, e)
raise IndentationError("the end")
