extensions = ["opsdocs"]
project = "test-dockerfile"
