extensions = ["opsdocs"]
project = "test-settings-modules"
opsdocs_undocumented = "ignore"
