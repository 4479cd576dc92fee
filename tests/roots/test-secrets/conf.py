extensions = ["sphinx.ext.autodoc", "sphinx_autodoc_typehints", "opsdocs"]
project = "test-secrets"
