"""The eleven products; importing this package registers them (base.informes())."""

from . import matriz, providencias, autos, actos, recaudacion, bienes, remates, estado, insolvencias, ilocalizables, cartera  # noqa: F401
