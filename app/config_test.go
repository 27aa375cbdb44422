package main

import (
	"slices"
	"strings"
	"testing"
)

// TestTrustedProxiesConfig: addresses and CIDRs are taken, anything else
// refused at start.
func TestTrustedProxiesConfig(t *testing.T) {
	for _, tc := range []struct {
		value string
		want  []string
		err   string
	}{
		{"", nil, ""},
		{"172.30.80.0/24, 10.0.0.5", []string{"172.30.80.0/24", "10.0.0.5"}, ""},
		{"caddy", nil, `"caddy" is neither an address nor a CIDR`},
	} {
		c, _, err := loadConfig([]string{"-trusted-proxies", tc.value})
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("%q: %v", tc.value, err)
			}
			continue
		}
		if err != nil || !slices.Equal(c.Proxies, tc.want) {
			t.Errorf("%q: %v, %v", tc.value, c, err)
		}
	}
}
