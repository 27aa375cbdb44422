package probe

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/tianbao-edu/tianbao/drives"
	"github.com/tianbao-edu/tianbao/store"
)

func BenchmarkExport(b *testing.B) {
	ctx := context.Background()
	emb, err := store.StartEmbedded("/tmp/bs1kcopy", nil)
	if err != nil {
		b.Fatal(err)
	}
	defer emb.Stop(ctx)
	s, err := store.Open(ctx, emb.URI, "tianbao")
	if err != nil {
		b.Fatal(err)
	}
	loc, _ := time.LoadLocation("Asia/Shanghai")
	d := drives.New(s, nil, loc, nil)
	u := &store.User{ID: "admin", Role: store.RoleAdmin, Org: "330100", OrgPath: []string{"330100"}}
	dr, _ := s.Drive(ctx, "monthly-2026-11")
	var schools []string
	sheet, _ := s.Sheet(ctx, dr)
	for _, e := range sheet {
		schools = append(schools, e.School)
	}
	b.Run("answers", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			n := 0
			for _, err := range s.Answers(ctx, dr.ID, schools) {
				if err != nil {
					b.Fatal(err)
				}
				n++
			}
		}
	})
	b.Run("export", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			if err := d.Export(ctx, u, dr, nil, io.Discard, nil); err != nil {
				b.Fatal(err)
			}
		}
	})
}
