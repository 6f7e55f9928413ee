#ifndef CFUZZING_H
#define CFUZZING_H

#include <stddef.h>
#include <stdint.h>

/// Hands the process's arguments and one input callback to libFuzzer's driver, which parses its options,
/// loads the corpora and calls back once per input. Returns the driver's exit status.
int fuzzing_run(int argc, char **argv, int (*test_one_input)(const uint8_t *data, size_t size));

#endif
