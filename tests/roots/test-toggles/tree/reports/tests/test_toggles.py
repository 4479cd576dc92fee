# .. toggle_name: reports.async_export
# .. toggle_implementation: WaffleFlag
# .. toggle_default: True
# .. toggle_description: A vendored copy that must not replace the real entry.
VENDORED = WaffleFlag('reports.async_export', __name__)
