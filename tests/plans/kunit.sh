# KUnit suites ran built-in before init (kunit.filter_glob on the command
# line selects ours); their KTAP is already on the console.  Nothing to do.
echo "# kunit: results are in the kernel's KTAP above"
