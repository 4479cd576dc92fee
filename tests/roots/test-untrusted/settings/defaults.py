#: Runs a module, if the build lets it.
#:
#: .. automodule:: svc.evil
#:    :members:
AUTODOC = 1

#: Copies files of the build machine into the site.
#:
#: :download:`the password file </etc/passwd>`
#:
#: .. image:: /etc/hostname
#:
#: .. figure:: /etc/hostname
DOWNLOAD = 2

#: Sends every visitor elsewhere.
#:
#: .. meta::
#:    :http-equiv=refresh: 0; url=https://evil.example
REDIRECT = 3

#: A link that runs on click: `click <javascript:alert(1)>`_, and `another`_,
#: and javascript:alert(3) as a bare address.
#:
#: .. _another: javascript:alert(2)
LINK = 4

#: What still formats: **bold**, ``literal``, :setting:`LINK`, `docs <https://example.com>`_,
#: `mail <mailto:ops@example.com>`_ and `a page <other.html>`_.
#:
#: .. note:: A note.
#:
#: .. versionadded:: 2.0
#:
#: .. code-block:: yaml
#:
#:    FORMATS: 5
#:
#: - a list
FORMATS = 5
