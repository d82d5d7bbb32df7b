# tools/testing/selftests/breakpoints/breakpoint_test, built static from the
# tree under test; it prints KTAP itself.
# qemu-timeout: 300
/bin/breakpoint_test
