"""The chapter's evaluation protocols on top of the event-extraction task: continual
(class-incremental), low-resource and cross-domain, each ending in ``amrgnn report``'s tables.

:mod:`.continual`, :mod:`.lowres`, :mod:`.crossdomain` (the protocols), :mod:`.runs` (one resumable
run), :mod:`.runinfo` (what every run records) and :mod:`.report` (tables and plots).
"""
