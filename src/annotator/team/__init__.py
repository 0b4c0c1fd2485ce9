"""Team work: server roles and policies (more to come: merging coder files, the gold layer)."""
