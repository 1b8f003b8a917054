// Contract stub: the GitHub Action entry (issue 3).
import * as core from '@actions/core';

core.setFailed('perfgate action: not built yet');
