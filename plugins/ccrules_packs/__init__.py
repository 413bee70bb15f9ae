"""ccrules' first-party rule packs, one subpackage each, registered as ``ccrules`` entry points
(``default``, ``inhouse``, ``bpo``, ``feedback``, ``release-cascade``, ``healthy-mix``,
``monthly-theme``): enable them by those names in center.toml."""
