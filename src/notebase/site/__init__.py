"""Site: assemble the frozen Site (taxonomies, topics, links, related), then emit and write it."""
