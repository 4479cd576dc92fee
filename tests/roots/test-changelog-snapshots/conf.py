extensions = ["opsdocs"]
project = "test-changelog-snapshots"
nitpicky = True
