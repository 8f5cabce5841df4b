"""Fields of a page that only the services write.

Wagtail saves a page whole, from the editor and from a revision (publishing a draft, an
older revision, a revert): a revision stores every field as it was, so an old `estado`, amount
or debtor would come back with no transition recorded. Keeping these fields on the page
(listings filter and sort on them in one query) but out of every page save is the smallest
change that makes the services their only writers:

- `save()` of an existing page never writes them (they leave `update_fields`);
- `with_content_json()` (how Wagtail turns a revision into a page) keeps the database's
  values, so a restored revision neither shows nor re-validates stale ones;
- the services write them with `QuerySet.update()` under the row lock, with who/when/why."""

class CamposPropiosMixin:
    # names of the fields the services own; the page editor shows them read-only
    campos_propios: tuple[str, ...] = ()

    @classmethod
    def _campos_pagina(cls) -> list[str]:
        return [f.name for f in cls._meta.concrete_fields
                if not f.primary_key and f.name not in cls.campos_propios]

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding and self.campos_propios:
            actualizar = kwargs.get("update_fields")
            kwargs["update_fields"] = (
                self._campos_pagina() if actualizar is None
                else [c for c in actualizar if c not in self.campos_propios]
            )
            resultado = super().save(*args, **kwargs)
            self._campos_propios_recargar()
            return resultado
        return super().save(*args, **kwargs)

    def _campos_propios_recargar(self) -> None:
        """After a page save the instance shows what the database holds, not what a form
        or a revision carried."""
        attnames = [self._meta.get_field(c).attname for c in self.campos_propios]
        valores = type(self)._base_manager.filter(pk=self.pk).values(*attnames).first() or {}
        for attname, valor in valores.items():
            setattr(self, attname, valor)

    def with_content_json(self, content):
        pagina = super().with_content_json(content)
        for campo in self.campos_propios:
            attname = self._meta.get_field(campo).attname
            setattr(pagina, attname, getattr(self, attname))
        return pagina

