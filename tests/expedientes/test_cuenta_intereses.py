"""Interest through PostgreSQL: recording a costa or a payment of interest on another day
does not move a cent of the interest accrued (the rounding rule of expedientes/liquidacion.py)."""

from datetime import date
from decimal import Decimal

import pytest

from expedientes.services.cuenta import costa_registrar, cuenta_liquidar, pago_registrar

D = Decimal
pytestmark = pytest.mark.servicios



def test_una_costa_registrada_no_cambia_los_intereses(expediente, usuarios, tasa):
    # 1.234,56 at 10 % from 13/03/2025: 0,33823… a day; three days = 1,0147… → 1,01
    antes = cuenta_liquidar(expediente, date(2025, 3, 16))
    assert antes.intereses_total == D("1.01")
    costa_registrar(expediente=expediente, fecha=date(2025, 3, 15), concepto="Notificación", monto=D("12.00"),
                    usuario=usuarios["secretaria"])
    despues = cuenta_liquidar(expediente, date(2025, 3, 16))
    assert despues.intereses_total == antes.intereses_total
    assert despues.saldo == antes.saldo + D("12.00")


def test_un_pago_de_intereses_no_cambia_los_intereses(expediente, usuarios, tasa):
    pago_registrar(expediente=expediente, fecha=date(2025, 3, 15), monto=D("0.68"), origen="voluntario",
                   recibo="R-INT", usuario=usuarios["secretaria"])  # exactly the interest of two days
    cuenta = cuenta_liquidar(expediente, date(2025, 3, 16))
    assert cuenta.imputaciones[0].capital == 0
    assert cuenta.intereses_total == D("1.01") and cuenta.intereses == D("0.33")
