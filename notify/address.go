package notify

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"syscall"
	"time"
)

// reserved are ranges a webhook never legitimately lives in, beyond what
// netip's predicates name: "this network", carrier-grade NAT (which holds
// Alibaba Cloud's metadata address 100.100.100.200), IETF protocol
// assignments, documentation and benchmarking ranges, the reserved 240/4
// with the broadcast address, and IPv6 forms that carry an IPv4 address
// inside (NAT64, 6to4, Teredo, IPv4-compatible) or are deprecated.
var reserved = []netip.Prefix{
	netip.MustParsePrefix("0.0.0.0/8"),
	netip.MustParsePrefix("100.64.0.0/10"),
	netip.MustParsePrefix("192.0.0.0/24"),
	netip.MustParsePrefix("192.0.2.0/24"),
	netip.MustParsePrefix("198.18.0.0/15"),
	netip.MustParsePrefix("198.51.100.0/24"),
	netip.MustParsePrefix("203.0.113.0/24"),
	netip.MustParsePrefix("240.0.0.0/4"),
	netip.MustParsePrefix("::/96"),
	netip.MustParsePrefix("64:ff9b::/96"),
	netip.MustParsePrefix("64:ff9b:1::/48"),
	netip.MustParsePrefix("100::/64"),
	netip.MustParsePrefix("2001::/32"),
	netip.MustParsePrefix("2001:db8::/32"),
	netip.MustParsePrefix("2002::/16"),
	netip.MustParsePrefix("fec0::/10"),
}

// Public reports whether an address is a public unicast one: not loopback,
// private (10/8, 172.16/12, 192.168/16, unique-local fc00::/7, where AWS's
// fd00:ec2::254 lives), link-local (169.254/16 with the cloud metadata
// address 169.254.169.254, fe80::/10), multicast, unspecified or one of the
// reserved ranges above. It is the sender's default Dialable.
func Public(a netip.Addr) bool {
	a = a.Unmap()
	if !a.IsValid() || a.IsLoopback() || a.IsPrivate() || a.IsLinkLocalUnicast() || a.IsLinkLocalMulticast() ||
		a.IsInterfaceLocalMulticast() || a.IsMulticast() || a.IsUnspecified() {
		return false
	}
	for _, p := range reserved {
		if p.Contains(a) {
			return false
		}
	}
	return true
}

// addressRefused is the dialer's refusal of an address.
type addressRefused struct{ addr netip.Addr }

func (e *addressRefused) Error() string {
	return fmt.Sprintf("notify: %s is not an address reminders may be sent to", e.addr)
}

// dialable reports whether the sender may connect to an address.
func (s *Sender) dialable(a netip.Addr) bool {
	if s.Dialable != nil {
		return s.Dialable(a.Unmap())
	}
	return Public(a)
}

// control runs for every connection after the host is resolved and before
// it connects, so a name that resolved to a public address when the webhook
// was saved and to an internal one now is refused too.
func (s *Sender) control(_, address string, _ syscall.RawConn) error {
	ap, err := netip.ParseAddrPort(address)
	if err != nil {
		return fmt.Errorf("notify: unexpected address %q", address)
	}
	if !s.dialable(ap.Addr()) {
		return &addressRefused{ap.Addr()}
	}
	return nil
}

// CheckTarget reports whether a webhook address is allowed now: CheckURL
// with hosts, and every address its host resolves to one the sender may
// dial. It is the check made when a webhook is saved; sending checks again.
func (s *Sender) CheckTarget(ctx context.Context, raw string, hosts []Host) error {
	host, err := checkURL(raw, hosts)
	if err != nil {
		return err
	}
	addrs, err := resolve(ctx, host)
	if err != nil || len(addrs) == 0 {
		return &URLError{Unresolved}
	}
	for _, a := range addrs {
		if !s.dialable(a) {
			return &URLError{BadAddress}
		}
	}
	return nil
}

// resolve returns the addresses of a host name, or the address it is.
func resolve(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a}, nil
	}
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	return net.DefaultResolver.LookupNetIP(ctx, "ip", host)
}
