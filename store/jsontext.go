package store

import (
	"fmt"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/x/bsonx/bsoncore"
)

// jsonText is a JSON text kept whole in one field (a ledger, a board
// part, a part's figures, a submission's answers). It is written as
// binary: the embedded server keeps a string escaped inside its own JSON
// and unescapes it on every read, a binary it only decodes from base64.
// Texts written as strings by earlier releases read the same.
type jsonText []byte

func (t jsonText) MarshalBSONValue() (byte, []byte, error) {
	return byte(bson.TypeBinary), bsoncore.AppendBinary(nil, bson.TypeBinaryGeneric, t), nil
}

func (t *jsonText) UnmarshalBSONValue(typ byte, data []byte) error {
	switch bson.Type(typ) {
	case bson.TypeBinary:
		_, b, _, ok := bsoncore.ReadBinary(data)
		if !ok {
			return fmt.Errorf("store: a JSON text's binary is cut short")
		}
		*t = append((*t)[:0], b...)
	case bson.TypeString:
		str, _, ok := bsoncore.ReadString(data)
		if !ok {
			return fmt.Errorf("store: a JSON text's string is cut short")
		}
		*t = append((*t)[:0], str...)
	case bson.TypeNull, bson.TypeUndefined:
		*t = nil
	default:
		return fmt.Errorf("store: a JSON text stored as %s", bson.Type(typ))
	}
	return nil
}
