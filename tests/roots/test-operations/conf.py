extensions = ["opsdocs"]
project = "test-operations"
opsdocs_commands_file = "operations/commands.yml"
