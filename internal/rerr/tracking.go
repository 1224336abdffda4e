package rerr

// Errors of client-side caching (CLIENT TRACKING, CLIENT CACHING), exactly
// as Redis 7.0 words them.
const (
	TrackingRedirectTwice  = "ERR A client can only redirect to a single other client"
	TrackingNoSuchRedirect = "ERR The client ID you want redirect to does not exist"
	TrackingPrefixNoBCAST  = "ERR PREFIX option requires BCAST mode to be enabled"
	TrackingSwitchBCAST    = "ERR You can't switch BCAST mode on/off before disabling tracking for this client, and then re-enabling it with a different mode."
	TrackingOptBCAST       = "ERR OPTIN and OPTOUT are not compatible with BCAST"
	TrackingOptInOut       = "ERR You can't specify both OPTIN mode and OPTOUT mode"
	TrackingSwitchOpt      = "ERR You can't switch OPTIN/OPTOUT mode before disabling tracking for this client, and then re-enabling it with a different mode."
	CachingNotTracking     = "ERR CLIENT CACHING can be called only when the client is in tracking mode with OPTIN or OPTOUT mode enabled"
	CachingYesNotOptIn     = "ERR CLIENT CACHING YES is only valid when tracking is enabled in OPTIN mode."
	CachingNoNotOptOut     = "ERR CLIENT CACHING NO is only valid when tracking is enabled in OPTOUT mode."
	// TrackingPrefixExisting and TrackingPrefixOther take the new prefix
	// and the one it overlaps.
	TrackingPrefixExisting = "ERR Prefix '%s' overlaps with an existing prefix '%s'. Prefixes for a single client must not overlap."
	TrackingPrefixOther    = "ERR Prefix '%s' overlaps with another provided prefix '%s'. Prefixes for a single client must not overlap."
)
