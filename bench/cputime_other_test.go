//go:build !unix

package bench

import "time"

// cpuTime is not measured here: the table falls back to wall time.
func cpuTime() time.Duration { return 0 }
