package cxapi

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"
)

// jsonTime decodes the date strings CxReports sends: RFC 3339 with any
// fraction, and .NET's offset-less forms (read as UTC). null and "" leave it
// unset.
type jsonTime struct {
	t  time.Time
	ok bool
}

// UnmarshalJSON implements json.Unmarshaler.
func (j *jsonTime) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return errors.New("a date must be a JSON string")
	}
	s = strings.TrimSpace(s)
	if s == "" {
		return nil
	}
	for _, layout := range [...]string{
		time.RFC3339Nano,
		"2006-01-02T15:04:05.999999999", // .NET DateTime without offset: UTC
		"2006-01-02T15:04:05.999999999Z0700",
		"2006-01-02 15:04:05.999999999Z07:00",
		"2006-01-02 15:04:05.999999999",
		"2006-01-02",
	} {
		if t, err := time.Parse(layout, s); err == nil {
			j.t, j.ok = t, true
			return nil
		}
	}
	// The value is not echoed: error texts must not carry server data.
	return fmt.Errorf("cannot read a %d-character string as a date", len(s))
}

func (j jsonTime) ptr() *time.Time {
	if !j.ok {
		return nil
	}
	t := j.t
	return &t
}
