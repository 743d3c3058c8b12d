"""Training tasks built on amrgnn's graphs and layers."""
