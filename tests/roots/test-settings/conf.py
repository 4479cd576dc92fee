extensions = ["opsdocs"]
project = "test-settings"
