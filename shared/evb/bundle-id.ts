// The bundle id (spec section 3): the top-level directory, External-Identifier in
// bag-info.txt, bundle_id in data/packet.json and predicate.bundle_id of every statement.

export const BUNDLE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
