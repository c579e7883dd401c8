// Loaded into every jest worker before the tests: the lookup hook answers every DNS lookup from
// its table (loopback names only; every other name fails with ENOTFOUND), so no in-process test
// can send anything past loopback, not even a query for an invented name. Child processes get the
// same hook through runAction and runCli.
'use strict'
require('../test-support/lookup-hook.cjs')
