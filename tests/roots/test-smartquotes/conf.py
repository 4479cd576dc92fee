extensions = ["opsdocs"]
