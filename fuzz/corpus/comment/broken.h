/// broken
/// x[in : y
/// FIELDS
/// - : z
///
///<
////
