extensions = ["opsdocs"]
project = "test-changelog"
nitpicky = True
exclude_patterns = ["repo", "_build"]
