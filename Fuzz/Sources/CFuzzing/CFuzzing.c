#include "CFuzzing.h"

// libFuzzer's entry point for programs that keep their own main (since LLVM 11). SwiftPM gives every executable
// target a main of its own, so the fuzz targets call the driver instead of letting libFuzzer provide main.
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*test_one_input)(const uint8_t *data, size_t size));

int fuzzing_run(int argc, char **argv, int (*test_one_input)(const uint8_t *data, size_t size)) {
    return LLVMFuzzerRunDriver(&argc, &argv, test_one_input);
}
