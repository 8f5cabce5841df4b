"""The import of the unit's historical Excel matrices: reading a workbook whose layout drifts
between years (lectura.py) and the all-or-nothing import (expedientes/services/importacion.py)."""
