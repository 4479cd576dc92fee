extensions = ["opsdocs"]
project = "test-settings-problems"
