package config

import (
	"fmt"
	"strconv"
)

// DefaultResourceMaxMB and MaxResourceMaxMB bound the documents served by
// resources/read, in MiB. Base64 makes a document a third larger in the
// JSON answer, so 10 MiB is about 13.3 MiB on the wire.
const (
	DefaultResourceMaxMB = 10
	MaxResourceMaxMB     = 1024
)

// resourceMax reads the resource size cap: a whole number of MiB from 1
// to MaxResourceMaxMB; anything else is recorded as a problem and the
// default is used.
func (c *Config) resourceMax(setting string) int64 {
	if setting == "" {
		return DefaultResourceMaxMB << 20
	}
	n, err := strconv.Atoi(setting)
	if err != nil || n < 1 || n > MaxResourceMaxMB {
		c.Problems[EnvResourceMaxMB] = fmt.Sprintf("%s %q is not a whole number of MiB from 1 to %d; using %d", EnvResourceMaxMB, setting, MaxResourceMaxMB, DefaultResourceMaxMB)
		return DefaultResourceMaxMB << 20
	}
	return int64(n) << 20
}
