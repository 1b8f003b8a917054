// Contract stub: the bench child process entry (issue 2, src/runner).
process.exit(0);
