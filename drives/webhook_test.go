package drives

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/tianbao-edu/tianbao/fail"
	"github.com/tianbao-edu/tianbao/store"
)

// TestSetWebhookHosts: the admin's hosts are stored in canonical spelling;
// odd spellings, the robots themselves, duplicates and long lists are
// refused on the field at fault, and only admins may set them.
func TestSetWebhookHosts(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	admin := w.user(store.RoleAdmin, cityOrg)
	set, err := w.svc.SetWebhookHosts(ctx, admin, []store.WebhookHost{{Host: " Hooks.Example.ORG "}, {Host: "[2001:DB8::1]", HTTP: true}})
	check(t, err)
	want := []store.WebhookHost{{Host: "hooks.example.org"}, {Host: "2001:db8::1", HTTP: true}}
	if got, err := w.svc.Store.WebhookHosts(ctx); err != nil || !slices.Equal(got.Hosts, want) || !slices.Equal(set.Hosts, want) || got.UpdatedBy != admin.ID {
		t.Fatalf("stored %+v, %v; want %v", got, err, want)
	}
	many := make([]store.WebhookHost, maxWebhookHosts+1)
	for i := range many {
		many[i] = store.WebhookHost{Host: "h" + string(rune('a'+i%26)) + string(rune('a'+i/26)) + ".example"}
	}
	for _, c := range []struct {
		hosts []store.WebhookHost
		field string
	}{
		{[]store.WebhookHost{{Host: "0x7f000001"}}, "hosts[0].host"},
		{[]store.WebhookHost{{Host: "ok.example"}, {Host: "2130706433"}}, "hosts[1].host"},
		{[]store.WebhookHost{{Host: "https://hooks.example.org/x"}}, "hosts[0].host"},
		{[]store.WebhookHost{{Host: "hooks.example.org:8443"}}, "hosts[0].host"},
		{[]store.WebhookHost{{Host: "qyapi.weixin.qq.com", HTTP: true}}, "hosts[0].host"},
		{[]store.WebhookHost{{Host: "a.example"}, {Host: "A.example"}}, "hosts[1].host"},
		{many, "hosts"},
	} {
		_, err := w.svc.SetWebhookHosts(ctx, admin, c.hosts)
		var fe *fail.Error
		if !errors.As(err, &fe) || fe.Code != fail.Invalid || fe.Fields[0].Field != c.field {
			t.Errorf("%v: %v, want invalid %s", c.hosts, err, c.field)
		}
	}
	if _, err := w.svc.SetWebhookHosts(ctx, w.user(store.RoleDistrict, district), nil); !fail.Is(err, fail.Forbidden) {
		t.Errorf("a district set the hosts: %v", err)
	}
	if got, _ := w.svc.Store.WebhookHosts(ctx); !slices.Equal(got.Hosts, want) {
		t.Errorf("a refused change was stored: %+v", got.Hosts)
	}
}
