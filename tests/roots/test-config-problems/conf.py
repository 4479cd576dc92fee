extensions = ["opsdocs"]
project = "test-config-problems"
