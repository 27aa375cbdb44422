package store

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// colSignoffs holds each unit's sign-off of a drive: the head drive|unit
// (its state now) and the claims drive|unit#n, one per step, each holding
// the whole state after it. Everything is read by _id.
const colSignoffs = "signoffs"

// Sign-off states of a unit for a drive. A unit without a sign-off has
// none (""), which withdrawal also leads back to.
const (
	SignoffSigned    = "signed"    // signed off by the unit, its schools locked
	SignoffAccepted  = "accepted"  // accepted by the unit above, still locked
	SignoffReturned  = "returned"  // sent back by the unit above, unlocked
	SignoffWithdrawn = "withdrawn" // withdrawn by the unit itself, unlocked
)

// SignoffStep is one recorded step of a sign-off: who did what, when, why.
type SignoffStep struct {
	Action  string    `json:"action" bson:"action"` // signoff, withdraw, accept, return
	State   string    `json:"state" bson:"state"`
	By      string    `json:"by" bson:"by"`
	At      time.Time `json:"at" bson:"at"`
	Comment string    `json:"comment,omitempty" bson:"comment,omitempty"`
	Gaps    []string  `json:"gaps,omitempty" bson:"gaps,omitempty"`
}

// Signoff is a unit's sign-off of a drive with its history.
type Signoff struct {
	ID      string        `json:"-" bson:"_id"` // drive|unit
	Drive   string        `json:"drive" bson:"drive"`
	Unit    string        `json:"unit" bson:"unit"`
	State   string        `json:"state" bson:"state"`
	Version int           `json:"version" bson:"version"`
	Gaps    []string      `json:"gaps" bson:"gaps"`     // schools accepted as not approved
	Reason  string        `json:"reason" bson:"reason"` // why the gaps are accepted
	Steps   []SignoffStep `json:"steps" bson:"steps"`
}

// Locks reports whether the state holds the unit's schools locked.
func (s *Signoff) Locks() bool { return s.State == SignoffSigned || s.State == SignoffAccepted }

func signoffID(drive, unit string) string { return drive + "|" + unit }

func signoffClaimID(id string, version int) string { return fmt.Sprintf("%s#%d", id, version) }

type signoffClaim struct {
	ID    string   `bson:"_id"`
	State *Signoff `bson:"state"`
}

// Signoff returns a unit's sign-off of a drive, a blank one (version 0)
// when it has none. A step whose writer stopped after its claim is
// completed first.
func (s *Store) Signoff(ctx context.Context, drive, unit string) (*Signoff, error) {
	all, err := s.Signoffs(ctx, drive, []string{unit})
	if err != nil {
		return nil, err
	}
	return all[unit], nil
}

// Signoffs returns the sign-offs of a drive by the given units (blank
// ones for units without), read by _id: the heads with the claims of a
// first step, then, for units that have a head, the claims of their next
// steps. A drive no unit signed off yet costs one read.
func (s *Store) Signoffs(ctx context.Context, drive string, units []string) (map[string]*Signoff, error) {
	out := make(map[string]*Signoff, len(units))
	ids := make([]string, 0, 2*len(units))
	for _, u := range units {
		out[u] = &Signoff{ID: signoffID(drive, u), Drive: drive, Unit: u, Gaps: []string{}, Steps: []SignoffStep{}}
		ids = append(ids, signoffID(drive, u), signoffClaimID(signoffID(drive, u), 1))
	}
	if len(units) == 0 {
		return out, nil
	}
	var docs []bson.Raw
	if err := s.find(ctx, colSignoffs, ids, &docs); err != nil {
		return nil, err
	}
	var next []signoffClaim
	for _, raw := range docs {
		id, _ := raw.Lookup("_id").StringValueOK()
		if strings.Contains(id, "#") {
			var c signoffClaim
			if err := bson.Unmarshal(raw, &c); err != nil {
				return nil, dbErr("decode sign-off claim", err)
			}
			next = append(next, c)
			continue
		}
		var head Signoff
		if err := bson.Unmarshal(raw, &head); err != nil {
			return nil, dbErr("decode sign-off", err)
		}
		out[head.Unit] = &head
	}
	var claims []string
	for _, so := range out {
		if so.Version > 0 {
			claims = append(claims, signoffClaimID(so.ID, so.Version+1))
		}
	}
	if len(claims) > 0 {
		next = slices.DeleteFunc(next, func(c signoffClaim) bool { return c.State != nil && out[c.State.Unit].Version > 0 })
		var later []signoffClaim
		if err := s.find(ctx, colSignoffs, claims, &later); err != nil {
			return nil, err
		}
		next = append(next, later...)
	}
	for _, c := range next {
		if c.State == nil {
			continue
		}
		prev := out[c.State.Unit]
		if err := s.applySignoff(ctx, prev.Version, c.State); err != nil {
			return nil, err
		}
		out[c.State.Unit] = c.State
	}
	for _, so := range out {
		if so.Gaps == nil {
			so.Gaps = []string{}
		}
		if so.Steps == nil {
			so.Steps = []SignoffStep{}
		}
	}
	return out, nil
}

func (s *Store) find(ctx context.Context, col string, ids []string, out any) error {
	cur, err := s.c(col).Find(ctx, bson.D{{Key: "_id", Value: bson.D{{Key: "$in", Value: ids}}}})
	if err != nil {
		return dbErr("find "+col, err)
	}
	return dbErr("read "+col, cur.All(ctx, out))
}

// CommitSignoff writes next, the step after prev. Its claim
// (drive|unit#version) decides between writers from the same version:
// the other gets a Conflict.
func (s *Store) CommitSignoff(ctx context.Context, prev, next *Signoff) error {
	next.ID, next.Version = signoffID(next.Drive, next.Unit), prev.Version+1
	_, err := s.c(colSignoffs).InsertOne(ctx, signoffClaim{ID: signoffClaimID(next.ID, next.Version), State: next})
	if mongo.IsDuplicateKeyError(err) {
		return staleErr()
	}
	if err != nil {
		return dbErr("claim sign-off", err)
	}
	return s.applySignoff(ctx, prev.Version, next)
}

func (s *Store) applySignoff(ctx context.Context, from int, next *Signoff) error {
	if from == 0 {
		_, err := s.c(colSignoffs).InsertOne(ctx, next)
		if mongo.IsDuplicateKeyError(err) {
			err = nil
		}
		return dbErr("insert sign-off", err)
	}
	_, err := s.c(colSignoffs).ReplaceOne(ctx, bson.D{{Key: "_id", Value: next.ID}, {Key: "version", Value: from}}, next)
	if errors.Is(err, mongo.ErrNoDocuments) {
		err = nil
	}
	return dbErr("update sign-off", err)
}
