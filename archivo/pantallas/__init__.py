"""The archive's admin screens, one module each (imported by archivo/wagtail_hooks.py):
each registers its URLs with `register_admin_urls` and its menu item with
`register_archivo_menu_item` (a MenuItem whose is_shown asks the permission)."""
