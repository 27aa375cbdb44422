package notify

import (
	"fmt"
	"net/netip"
	"net/url"
	"slices"
	"strings"
)

// Host is a host that webhooks may point at, beyond the built-in robots.
// HTTP allows plain http to it; https is always allowed.
type Host struct {
	Name string `json:"host"`
	HTTP bool   `json:"http"`
}

// Robots are the hosts of the WeCom and DingTalk group robots, allowed
// everywhere, over https on the default port only.
var Robots = []string{"qyapi.weixin.qq.com", "oapi.dingtalk.com"}

// Why a webhook address is refused (URLError.Reason).
const (
	BadURL     = "url"        // not an absolute http(s) URL, or too long
	BadScheme  = "scheme"     // http where only https is allowed
	BadUser    = "userinfo"   // credentials in the URL
	BadHost    = "host"       // not a robot or an allowed host, or an odd spelling of one
	BadAddress = "address"    // the host resolves to an address the sender may not dial
	Unresolved = "unresolved" // the host does not resolve
)

// URLError says why a webhook address is refused.
type URLError struct {
	Reason string
}

func (e *URLError) Error() string { return "notify: webhook address refused: " + e.Reason }

// CheckURL reports whether a webhook address is allowed: an absolute https
// URL without credentials to a robot host on the default port, or an http(s)
// URL to one of hosts (plain http only where that host allows it). Hosts
// are compared in canonical spelling: decimal, hex or octal IPv4 forms and
// other odd spellings never match.
func CheckURL(raw string, hosts []Host) error {
	_, err := checkURL(raw, hosts)
	return err
}

// checkURL is CheckURL, returning the URL's host in canonical spelling.
func checkURL(raw string, hosts []Host) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || len(raw) > 500 || u.Opaque != "" || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", &URLError{BadURL}
	}
	if u.User != nil {
		return "", &URLError{BadUser}
	}
	name, err := CanonicalHost(u.Hostname())
	if err != nil {
		return "", &URLError{BadHost}
	}
	if slices.Contains(Robots, name) {
		if u.Port() != "" && u.Port() != "443" {
			return "", &URLError{BadHost}
		}
		if u.Scheme != "https" {
			return "", &URLError{BadScheme}
		}
		return name, nil
	}
	i := slices.IndexFunc(hosts, func(h Host) bool { return h.Name == name })
	switch {
	case i < 0:
		return "", &URLError{BadHost}
	case u.Scheme == "http" && !hosts[i].HTTP:
		return "", &URLError{BadScheme}
	}
	return name, nil
}

// CanonicalHost returns a host name in the one spelling CheckURL accepts:
// lower case DNS labels whose last label starts with a letter, a dotted
// decimal IPv4 address or an IPv6 address without a zone. Anything else —
// 2130706433, 0x7f000001, 0177.0.0.1, 127.1, a trailing dot — is an error.
func CanonicalHost(h string) (string, error) {
	h = strings.ToLower(strings.TrimSuffix(strings.TrimPrefix(h, "["), "]"))
	bad := fmt.Errorf("notify: %q is not a host name or address", h)
	if a, err := netip.ParseAddr(h); err == nil {
		if a.Zone() != "" || (a.Is4() && a.String() != h) {
			return "", bad
		}
		return a.String(), nil
	}
	labels := strings.Split(h, ".")
	if len(h) == 0 || len(h) > 253 {
		return "", bad
	}
	for _, l := range labels {
		if len(l) == 0 || len(l) > 63 || l[0] == '-' || l[len(l)-1] == '-' ||
			strings.ContainsFunc(l, func(r rune) bool { return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') }) {
			return "", bad
		}
	}
	if last := labels[len(labels)-1]; last[0] < 'a' || last[0] > 'z' {
		return "", bad
	}
	return h, nil
}

// MaskURL returns a webhook address fit to show: credentials and fragment
// dropped, every query value and every path part that looks like a key
// (eight characters or more with a digit) replaced by **** and, when the
// value is long, its last four characters.
func MaskURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "****"
	}
	var b strings.Builder
	b.WriteString(u.Scheme + "://" + u.Host)
	segments := strings.Split(u.EscapedPath(), "/")
	for i, seg := range segments {
		if i > 0 {
			b.WriteByte('/')
		}
		if len(seg) >= 8 && strings.ContainsAny(seg, "0123456789") {
			seg = mask(seg)
		}
		b.WriteString(seg)
	}
	if u.RawQuery != "" {
		b.WriteByte('?')
		for i, pair := range strings.Split(u.RawQuery, "&") {
			if i > 0 {
				b.WriteByte('&')
			}
			k, v, _ := strings.Cut(pair, "=")
			b.WriteString(k + "=" + mask(v))
		}
	}
	return b.String()
}

// mask hides a value, leaving its last four characters when it is long
// enough that they give nothing away.
func mask(v string) string {
	if len(v) < 16 {
		return "****"
	}
	return "****" + v[len(v)-4:]
}
