extensions = ["opsdocs"]
project = "test-config"
