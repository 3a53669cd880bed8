"""Classes: inheritance, super(), class attributes, properties, static and class methods."""
import math


class Shape:
    count = 0

    def __init__(self, name):
        self.name = name
        Shape.count += 1

    def area(self):
        raise NotImplementedError(f"{type(self).__name__} must define area()")

    def describe(self):
        return f"{self.name} with area {self.area():.3f}"

    def __repr__(self):
        return f"{type(self).__name__}({self.name!r})"


class Rectangle(Shape):
    def __init__(self, width, height, name="rectangle"):
        super().__init__(name)
        self.width = width
        self.height = height

    def area(self):
        return self.width * self.height

    @property
    def perimeter(self):
        return 2 * (self.width + self.height)


class Square(Rectangle):
    def __init__(self, side):
        super().__init__(side, side, name="square")

    @property
    def side(self):
        return self.width

    @side.setter
    def side(self, value):
        if value <= 0:
            raise ValueError("side must be positive")
        self.width = self.height = value

    def describe(self):
        return "a square: " + super().describe()


class Circle(Shape):
    def __init__(self, radius):
        super().__init__("circle")
        self.radius = radius

    def area(self):
        return math.pi * self.radius ** 2

    @staticmethod
    def unit_area():
        return math.pi

    @classmethod
    def from_diameter(cls, diameter):
        return cls(diameter / 2)

    def __str__(self):
        return f"Circle of radius {self.radius}"


shapes = [Rectangle(2, 3), Square(4), Circle(1.5), Circle.from_diameter(2)]
for shape in shapes:
    print(repr(shape), "|", shape.describe())
print("shapes made:", Shape.count)
print(str(shapes[2]), "/", shapes[2], "/", repr(shapes[2]))
print(shapes[0].perimeter, shapes[1].perimeter, Circle.unit_area() == math.pi)
sq = shapes[1]
sq.side = 5
print(sq.side, sq.width, sq.height, sq.area())
try:
    sq.side = -1
except ValueError as err:
    print("rejected:", err)
try:
    Shape("blob").area()
except NotImplementedError as err:
    print("NotImplementedError:", err)
print(isinstance(sq, Square), isinstance(sq, Rectangle), isinstance(sq, Shape),
      isinstance(sq, Circle), isinstance(sq, (Circle, Rectangle)))
print(issubclass(Square, Shape), issubclass(Circle, Rectangle))
print(type(sq).__name__, type(sq) is Square, type(sq) == Rectangle)
print(hasattr(sq, "side"), hasattr(sq, "radius"), getattr(sq, "name"),
      getattr(sq, "radius", "no radius"))
setattr(sq, "color", "red")
print(sq.color, sq.__class__.__name__)
print(sorted(shapes, key=lambda s: s.area()))
print(max(shapes, key=lambda s: s.area()).name)


class Temperature:
    scale = "celsius"

    def __init__(self, degrees):
        self._degrees = degrees

    @property
    def fahrenheit(self):
        return self._degrees * 9 / 5 + 32


t = Temperature(25)
print(t.fahrenheit, Temperature.scale, t.scale)
try:
    t.fahrenheit = 0
except AttributeError:
    print("AttributeError: fahrenheit is read-only")
