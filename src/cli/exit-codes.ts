/** The CLI's exit codes: 0 pass, 1 the gate failed, 2 bad input, a usage error or a failed bench. */
export const EXIT_PASS = 0;
export const EXIT_GATE_FAILED = 1;
export const EXIT_BAD_INPUT = 2;
