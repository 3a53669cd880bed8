"""String literal forms: quotes, escapes, raw strings, triple quotes, docstrings."""


def describe(word):
    """Return a short description of WORD.

    The docstring spans several lines, as tutorial helpers often do.
    """
    return f"{word} has {len(word)} characters"


class Greeter:
    '''A greeter with a single-quoted docstring.'''

    def greet(self, name):
        "One-line docstring in plain double quotes."
        return 'Hello, ' + name + '!'


single = 'single quotes with a "double" inside'
double = "double quotes with a 'single' inside"
escaped = 'it\'s escaped and "\\" is a backslash'
tabbed = "col1\tcol2\tcol3"
multi = """first line
second line
    indented third line"""
raw = r"C:\new\table\x41"
raw_triple = r'''raw \n stays \t literal'''
joined = "implicit " 'concatenation ' """of three"""
unicode_escapes = "\u03b1\u03b2\u03b3 and \x41\x42 and \N{GREEK SMALL LETTER PI}"
continued = "a string that is \
continued on the next line"

for label, value in [("single", single), ("double", double), ("escaped", escaped),
                     ("tabbed", tabbed), ("raw", raw), ("raw_triple", raw_triple),
                     ("joined", joined), ("unicode", unicode_escapes),
                     ("continued", continued)]:
    print(label, "->", value)

print(multi)
print(multi.splitlines())
print(repr(tabbed))
print(repr(raw))
print(repr("quote ' inside"), repr('quote " inside'), repr("both ' and \""))
print(describe("gradient"))
print(describe.__doc__.splitlines()[0])
print(Greeter().greet("autograd"))
print(Greeter.__doc__)
print(len(unicode_escapes), unicode_escapes[0], unicode_escapes[-1])
print("multiplied " * 3)
print("-" * 30)
print("abc"[::-1], "abcdef"[1:4], "abcdef"[-2:], "abcdef"[::2])
print("x" in "xyz", "q" not in "xyz")
print(str(42) + str(3.5) + str(True) + str(None))
print(ord("A"), chr(97))
empty = ""
print(repr(empty), bool(empty), bool(" "))
