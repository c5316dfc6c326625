# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_dcrctl_global_optspecs
    string join \n db= o/output= field= q/quiet y/yes no-input color= h/help V/version
end

function __fish_dcrctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_dcrctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_dcrctl_using_subcommand
    set -l cmd (__fish_dcrctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c dcrctl -n "__fish_dcrctl_needs_command" -l db -d 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]' -r -F
complete -c dcrctl -n "__fish_dcrctl_needs_command" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'Exactly one JSON document on stdout'
name\t'Ids only, one per line'"
complete -c dcrctl -n "__fish_dcrctl_needs_command" -l field -d 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)' -r
complete -c dcrctl -n "__fish_dcrctl_needs_command" -l color -d 'When to color output: auto colors a terminal unless NO_COLOR is set' -r -f -a "auto\t'Color on a terminal, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c dcrctl -n "__fish_dcrctl_needs_command" -s q -l quiet -d 'Print no notes or progress on stderr (errors and warnings still)'
complete -c dcrctl -n "__fish_dcrctl_needs_command" -s y -l yes -d 'Answer yes to every confirmation'
complete -c dcrctl -n "__fish_dcrctl_needs_command" -l no-input -d 'Never prompt; implied when stdin is not a terminal'
complete -c dcrctl -n "__fish_dcrctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcrctl -n "__fish_dcrctl_needs_command" -s V -l version -d 'Print version'
complete -c dcrctl -n "__fish_dcrctl_needs_command" -f -a "register" -d 'Register a new client and print its credentials, once'
complete -c dcrctl -n "__fish_dcrctl_needs_command" -f -a "show" -d 'Show one client\'s metadata and status (never a secret)'
complete -c dcrctl -n "__fish_dcrctl_needs_command" -f -a "list" -d 'List clients, streamed (oldest first unless --sort)'
complete -c dcrctl -n "__fish_dcrctl_needs_command" -f -a "update" -d 'Change a client\'s metadata'
complete -c dcrctl -n "__fish_dcrctl_needs_command" -f -a "delete" -d 'Delete clients with their secrets and tokens'
complete -c dcrctl -n "__fish_dcrctl_needs_command" -f -a "rotate-secret" -d 'Issue a new client secret, printed once'
complete -c dcrctl -n "__fish_dcrctl_needs_command" -f -a "rotate-token" -d 'Issue a new registration access token, printed once; the old one stops working'
complete -c dcrctl -n "__fish_dcrctl_needs_command" -f -a "verify-secret" -d 'Check a client secret read from stdin (exit 0 valid, 6 rejected)'
complete -c dcrctl -n "__fish_dcrctl_needs_command" -f -a "token" -d 'Initial access tokens for dynamic registration (POST /register)'
complete -c dcrctl -n "__fish_dcrctl_needs_command" -f -a "admin" -d 'Accounts for HTTP Basic authentication to the registration API'
complete -c dcrctl -n "__fish_dcrctl_needs_command" -f -a "prune" -d 'Delete expired, unused and stale records (for cron)'
complete -c dcrctl -n "__fish_dcrctl_needs_command" -f -a "apply" -d 'Create, update (and with --prune delete) clients to match a JSON file'
complete -c dcrctl -n "__fish_dcrctl_needs_command" -f -a "export" -d 'Print every client as the JSON that apply reads (never a secret)'
complete -c dcrctl -n "__fish_dcrctl_needs_command" -f -a "events" -d 'Show the audit log, newest first'
complete -c dcrctl -n "__fish_dcrctl_needs_command" -f -a "db" -d 'Check, back up or copy the registry database'
complete -c dcrctl -n "__fish_dcrctl_needs_command" -f -a "serve" -d 'Serve the registration API (RFC 7591 / RFC 7592) over HTTP'
complete -c dcrctl -n "__fish_dcrctl_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c dcrctl -n "__fish_dcrctl_needs_command" -f -a "man" -d 'Print the man page as roff, or write one page per command'
complete -c dcrctl -n "__fish_dcrctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand register" -l client-name -d 'Human-readable client name (client_name)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand register" -l redirect-uri -d 'A redirect URI (repeatable)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand register" -l redirect-uris -d 'Several redirect URIs at once, as Django\'s command takes them' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand register" -l grant-type -d 'A grant type (repeatable or comma-separated) [default: authorization_code]' -r -f -a "authorization_code\t''
implicit\t''
password\t''
client_credentials\t''
refresh_token\t''
urn:ietf:params:oauth:grant-type:device_code\t''
urn:ietf:params:oauth:grant-type:jwt-bearer\t''
urn:ietf:params:oauth:grant-type:saml2-bearer\t''
urn:ietf:params:oauth:grant-type:token-exchange\t''"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand register" -l response-type -d 'A response type (repeatable or comma-separated) [default: implied by the grant types]' -r -f -a "code\t''
token\t''
id_token\t''
none\t''"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand register" -l scope -d 'Space-separated scopes the client may request' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand register" -l token-endpoint-auth-method -d 'How the client authenticates [default: client_secret_basic]' -r -f -a "client_secret_basic\t''
client_secret_post\t''
none\t''
private_key_jwt\t''
tls_client_auth\t''
self_signed_tls_client_auth\t''"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand register" -l application-type -d 'Kind of client; native apps follow the redirect rules of RFC 8252 [default: web]' -r -f -a "web\t''
native\t''"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand register" -l contact -d 'A contact e-mail address (repeatable)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand register" -l client-uri -d 'Home page of the client' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand register" -l logo-uri -d 'Logo of the client' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand register" -l tos-uri -d 'Terms of service' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand register" -l policy-uri -d 'Privacy policy' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand register" -l jwks-uri -d 'URL of the client\'s JSON Web Key Set' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand register" -l jwks-file -d 'File holding the client\'s JSON Web Key Set (jwks)' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand register" -l software-id -d 'Identifier of the client software' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand register" -l software-version -d 'Version of the client software' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand register" -l skip-authorization -d 'Let the authorization server skip the consent screen (true when given without a value)' -r -f -a "true\t''
false\t''"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand register" -l metadata-file -d 'RFC 7591 metadata document to start from (`-` = stdin); flags override its fields' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand register" -l client-id -d 'Choose the client id instead of generating one (1-128 of A-Z a-z 0-9 . _ ~ -)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand register" -l secret-expires-in -d 'Lifetime of the secret, e.g. 90d [default: never expires]' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand register" -l secret-expires-at -d 'When the secret expires: an RFC 3339 time or a date, in the future' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand register" -l db -d 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand register" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'Exactly one JSON document on stdout'
name\t'Ids only, one per line'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand register" -l field -d 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand register" -l color -d 'When to color output: auto colors a terminal unless NO_COLOR is set' -r -f -a "auto\t'Color on a terminal, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand register" -l client-secret-stdin -d 'Read the client secret from stdin instead of generating one (stored with Argon2id)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand register" -l upsert -d 'With --client-id: modify the client when it exists instead of failing'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand register" -s q -l quiet -d 'Print no notes or progress on stderr (errors and warnings still)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand register" -s y -l yes -d 'Answer yes to every confirmation'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand register" -l no-input -d 'Never prompt; implied when stdin is not a terminal'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand register" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand register" -s V -l version -d 'Print version'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand show" -l name -d 'Find the client by its exact client_name instead' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand show" -l db -d 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand show" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'Exactly one JSON document on stdout'
name\t'Ids only, one per line'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand show" -l field -d 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand show" -l color -d 'When to color output: auto colors a terminal unless NO_COLOR is set' -r -f -a "auto\t'Color on a terminal, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand show" -s q -l quiet -d 'Print no notes or progress on stderr (errors and warnings still)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand show" -s y -l yes -d 'Answer yes to every confirmation'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand show" -l no-input -d 'Never prompt; implied when stdin is not a terminal'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand show" -s V -l version -d 'Print version'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand list" -l name -d 'Only clients whose client_name matches this shell glob (case-sensitive)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand list" -l grant-type -d 'Only clients with this grant type' -r -f -a "authorization_code\t''
implicit\t''
password\t''
client_credentials\t''
refresh_token\t''
urn:ietf:params:oauth:grant-type:device_code\t''
urn:ietf:params:oauth:grant-type:jwt-bearer\t''
urn:ietf:params:oauth:grant-type:saml2-bearer\t''
urn:ietf:params:oauth:grant-type:token-exchange\t''"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand list" -l created-before -d 'Only clients registered before this time, not at it (RFC 3339, a date, or a duration ago such as 7d)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand list" -l created-after -d 'Only clients registered at or after this time (RFC 3339, a date, or a duration ago such as 7d)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand list" -l sort -d 'Order of the listing; ties in registration order' -r -f -a "created\t'Registration time'
id\t'client_id'
name\t'client_name; unnamed clients last'
last-used\t'Last use; never-used clients first'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand list" -l after -d 'Only clients after this one in the listing\'s order: the last id of the previous page, to resume a listing that changes meanwhile' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand list" -l limit -d 'Print at most this many' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand list" -l offset -d 'Skip this many first' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand list" -l db -d 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand list" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'Exactly one JSON document on stdout'
name\t'Ids only, one per line'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand list" -l field -d 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand list" -l color -d 'When to color output: auto colors a terminal unless NO_COLOR is set' -r -f -a "auto\t'Color on a terminal, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand list" -l expired -d 'Only clients whose secret has expired'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand list" -l reverse -d 'Largest first: the --sort order reversed'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand list" -s q -l quiet -d 'Print no notes or progress on stderr (errors and warnings still)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand list" -s y -l yes -d 'Answer yes to every confirmation'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand list" -l no-input -d 'Never prompt; implied when stdin is not a terminal'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand list" -s V -l version -d 'Print version'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand update" -l name -d 'Find the client by its exact client_name instead of its id' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand update" -l client-name -d 'Human-readable client name (client_name)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand update" -l redirect-uri -d 'A redirect URI (repeatable)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand update" -l redirect-uris -d 'Several redirect URIs at once, as Django\'s command takes them' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand update" -l grant-type -d 'A grant type (repeatable or comma-separated) [default: authorization_code]' -r -f -a "authorization_code\t''
implicit\t''
password\t''
client_credentials\t''
refresh_token\t''
urn:ietf:params:oauth:grant-type:device_code\t''
urn:ietf:params:oauth:grant-type:jwt-bearer\t''
urn:ietf:params:oauth:grant-type:saml2-bearer\t''
urn:ietf:params:oauth:grant-type:token-exchange\t''"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand update" -l response-type -d 'A response type (repeatable or comma-separated) [default: implied by the grant types]' -r -f -a "code\t''
token\t''
id_token\t''
none\t''"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand update" -l scope -d 'Space-separated scopes the client may request' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand update" -l token-endpoint-auth-method -d 'How the client authenticates [default: client_secret_basic]' -r -f -a "client_secret_basic\t''
client_secret_post\t''
none\t''
private_key_jwt\t''
tls_client_auth\t''
self_signed_tls_client_auth\t''"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand update" -l application-type -d 'Kind of client; native apps follow the redirect rules of RFC 8252 [default: web]' -r -f -a "web\t''
native\t''"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand update" -l contact -d 'A contact e-mail address (repeatable)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand update" -l client-uri -d 'Home page of the client' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand update" -l logo-uri -d 'Logo of the client' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand update" -l tos-uri -d 'Terms of service' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand update" -l policy-uri -d 'Privacy policy' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand update" -l jwks-uri -d 'URL of the client\'s JSON Web Key Set' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand update" -l jwks-file -d 'File holding the client\'s JSON Web Key Set (jwks)' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand update" -l software-id -d 'Identifier of the client software' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand update" -l software-version -d 'Version of the client software' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand update" -l skip-authorization -d 'Let the authorization server skip the consent screen (true when given without a value)' -r -f -a "true\t''
false\t''"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand update" -l metadata-file -d 'Metadata document (`-` = stdin) whose fields are set; with --replace, the whole new document' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand update" -l add-redirect-uri -d 'Add a redirect URI (repeatable)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand update" -l remove-redirect-uri -d 'Remove a redirect URI (repeatable)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand update" -l unset -d 'Remove a field; fields with a default get it back (repeatable)' -r -f -a "redirect_uris\t''
token_endpoint_auth_method\t''
grant_types\t''
response_types\t''
application_type\t''
client_name\t''
client_uri\t''
logo_uri\t''
scope\t''
contacts\t''
tos_uri\t''
policy_uri\t''
jwks_uri\t''
jwks\t''
software_id\t''
software_version\t''
software_statement\t''
skip_authorization\t''"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand update" -l db -d 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand update" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'Exactly one JSON document on stdout'
name\t'Ids only, one per line'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand update" -l field -d 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand update" -l color -d 'When to color output: auto colors a terminal unless NO_COLOR is set' -r -f -a "auto\t'Color on a terminal, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand update" -l replace -d 'Replace the whole document with --metadata-file (RFC 7592 PUT): fields it omits are removed'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand update" -s q -l quiet -d 'Print no notes or progress on stderr (errors and warnings still)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand update" -s y -l yes -d 'Answer yes to every confirmation'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand update" -l no-input -d 'Never prompt; implied when stdin is not a terminal'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand update" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand update" -s V -l version -d 'Print version'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand delete" -l name -d 'Delete the client with exactly this client_name instead (one client; several with the name is an error listing their ids)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand delete" -l db -d 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand delete" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'Exactly one JSON document on stdout'
name\t'Ids only, one per line'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand delete" -l field -d 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand delete" -l color -d 'When to color output: auto colors a terminal unless NO_COLOR is set' -r -f -a "auto\t'Color on a terminal, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand delete" -l ignore-missing -d 'Succeed when something named does not exist (or is already revoked) instead of exiting 3'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand delete" -s q -l quiet -d 'Print no notes or progress on stderr (errors and warnings still)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand delete" -s y -l yes -d 'Answer yes to every confirmation'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand delete" -l no-input -d 'Never prompt; implied when stdin is not a terminal'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand delete" -s V -l version -d 'Print version'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand rotate-secret" -l name -d 'Find the client by its exact client_name instead of its id' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand rotate-secret" -l grace -d 'Keep the previous secret valid this long, e.g. 1h, so deployments can roll over' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand rotate-secret" -l secret-expires-in -d 'Lifetime of the new secret, e.g. 90d [default: the current secret\'s lifetime, or never]' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand rotate-secret" -l secret-expires-at -d 'When the new secret expires: an RFC 3339 time or a date, in the future' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand rotate-secret" -l db -d 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand rotate-secret" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'Exactly one JSON document on stdout'
name\t'Ids only, one per line'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand rotate-secret" -l field -d 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand rotate-secret" -l color -d 'When to color output: auto colors a terminal unless NO_COLOR is set' -r -f -a "auto\t'Color on a terminal, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand rotate-secret" -l no-expiry -d 'Let the new secret never expire, even if the current one has a lifetime'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand rotate-secret" -l end-grace -d 'Issue no new secret: end the grace period of the previous ones now, so only the current secret works (`show` says until when they would have)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand rotate-secret" -s q -l quiet -d 'Print no notes or progress on stderr (errors and warnings still)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand rotate-secret" -s y -l yes -d 'Answer yes to every confirmation'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand rotate-secret" -l no-input -d 'Never prompt; implied when stdin is not a terminal'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand rotate-secret" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand rotate-secret" -s V -l version -d 'Print version'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand rotate-token" -l name -d 'Find the client by its exact client_name instead of its id' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand rotate-token" -l db -d 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand rotate-token" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'Exactly one JSON document on stdout'
name\t'Ids only, one per line'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand rotate-token" -l field -d 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand rotate-token" -l color -d 'When to color output: auto colors a terminal unless NO_COLOR is set' -r -f -a "auto\t'Color on a terminal, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand rotate-token" -s q -l quiet -d 'Print no notes or progress on stderr (errors and warnings still)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand rotate-token" -s y -l yes -d 'Answer yes to every confirmation'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand rotate-token" -l no-input -d 'Never prompt; implied when stdin is not a terminal'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand rotate-token" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand rotate-token" -s V -l version -d 'Print version'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand verify-secret" -l name -d 'Find the client by its exact client_name instead of its id' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand verify-secret" -l db -d 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand verify-secret" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'Exactly one JSON document on stdout'
name\t'Ids only, one per line'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand verify-secret" -l field -d 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand verify-secret" -l color -d 'When to color output: auto colors a terminal unless NO_COLOR is set' -r -f -a "auto\t'Color on a terminal, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand verify-secret" -s q -l quiet -d 'Print no notes or progress on stderr (errors and warnings still)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand verify-secret" -s y -l yes -d 'Answer yes to every confirmation'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand verify-secret" -l no-input -d 'Never prompt; implied when stdin is not a terminal'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand verify-secret" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand verify-secret" -s V -l version -d 'Print version'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and not __fish_seen_subcommand_from create list revoke help" -l db -d 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and not __fish_seen_subcommand_from create list revoke help" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'Exactly one JSON document on stdout'
name\t'Ids only, one per line'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and not __fish_seen_subcommand_from create list revoke help" -l field -d 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and not __fish_seen_subcommand_from create list revoke help" -l color -d 'When to color output: auto colors a terminal unless NO_COLOR is set' -r -f -a "auto\t'Color on a terminal, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and not __fish_seen_subcommand_from create list revoke help" -s q -l quiet -d 'Print no notes or progress on stderr (errors and warnings still)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and not __fish_seen_subcommand_from create list revoke help" -s y -l yes -d 'Answer yes to every confirmation'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and not __fish_seen_subcommand_from create list revoke help" -l no-input -d 'Never prompt; implied when stdin is not a terminal'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and not __fish_seen_subcommand_from create list revoke help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and not __fish_seen_subcommand_from create list revoke help" -s V -l version -d 'Print version'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and not __fish_seen_subcommand_from create list revoke help" -f -a "create" -d 'Mint an initial access token, printed once'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and not __fish_seen_subcommand_from create list revoke help" -f -a "list" -d 'List initial access tokens (never the tokens themselves)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and not __fish_seen_subcommand_from create list revoke help" -f -a "revoke" -d 'Revoke an initial access token by the id that list shows'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and not __fish_seen_subcommand_from create list revoke help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from create" -l expires-in -d 'Lifetime, e.g. 7d [default: never expires]' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from create" -l expires-at -d 'When the token expires: an RFC 3339 time or a date, in the future' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from create" -l max-uses -d 'How many registrations it allows, at least 1 [default: unlimited]' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from create" -l note -d 'What the token is for' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from create" -l db -d 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'Exactly one JSON document on stdout'
name\t'Ids only, one per line'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from create" -l field -d 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from create" -l color -d 'When to color output: auto colors a terminal unless NO_COLOR is set' -r -f -a "auto\t'Color on a terminal, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from create" -s q -l quiet -d 'Print no notes or progress on stderr (errors and warnings still)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from create" -s y -l yes -d 'Answer yes to every confirmation'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from create" -l no-input -d 'Never prompt; implied when stdin is not a terminal'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from list" -l status -d 'Only tokens in this state now (repeatable or comma-separated)' -r -f -a "active\t'Usable'
expired\t'Past its expiry time'
used-up\t'Every allowed use spent'
revoked\t'Revoked with token revoke'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from list" -l db -d 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'Exactly one JSON document on stdout'
name\t'Ids only, one per line'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from list" -l field -d 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from list" -l color -d 'When to color output: auto colors a terminal unless NO_COLOR is set' -r -f -a "auto\t'Color on a terminal, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print no notes or progress on stderr (errors and warnings still)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to every confirmation'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; implied when stdin is not a terminal'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from revoke" -l db -d 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from revoke" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'Exactly one JSON document on stdout'
name\t'Ids only, one per line'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from revoke" -l field -d 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from revoke" -l color -d 'When to color output: auto colors a terminal unless NO_COLOR is set' -r -f -a "auto\t'Color on a terminal, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from revoke" -l ignore-missing -d 'Succeed when something named does not exist (or is already revoked) instead of exiting 3'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from revoke" -s q -l quiet -d 'Print no notes or progress on stderr (errors and warnings still)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from revoke" -s y -l yes -d 'Answer yes to every confirmation'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from revoke" -l no-input -d 'Never prompt; implied when stdin is not a terminal'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from revoke" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from revoke" -s V -l version -d 'Print version'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "create" -d 'Mint an initial access token, printed once'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "list" -d 'List initial access tokens (never the tokens themselves)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "revoke" -d 'Revoke an initial access token by the id that list shows'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and not __fish_seen_subcommand_from add list remove passwd help" -l db -d 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and not __fish_seen_subcommand_from add list remove passwd help" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'Exactly one JSON document on stdout'
name\t'Ids only, one per line'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and not __fish_seen_subcommand_from add list remove passwd help" -l field -d 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and not __fish_seen_subcommand_from add list remove passwd help" -l color -d 'When to color output: auto colors a terminal unless NO_COLOR is set' -r -f -a "auto\t'Color on a terminal, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and not __fish_seen_subcommand_from add list remove passwd help" -s q -l quiet -d 'Print no notes or progress on stderr (errors and warnings still)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and not __fish_seen_subcommand_from add list remove passwd help" -s y -l yes -d 'Answer yes to every confirmation'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and not __fish_seen_subcommand_from add list remove passwd help" -l no-input -d 'Never prompt; implied when stdin is not a terminal'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and not __fish_seen_subcommand_from add list remove passwd help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and not __fish_seen_subcommand_from add list remove passwd help" -s V -l version -d 'Print version'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and not __fish_seen_subcommand_from add list remove passwd help" -f -a "add" -d 'Add an account; the password (at least 12 characters) comes from a hidden prompt or --password-stdin'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and not __fish_seen_subcommand_from add list remove passwd help" -f -a "list" -d 'List accounts (never passwords)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and not __fish_seen_subcommand_from add list remove passwd help" -f -a "remove" -d 'Remove an account'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and not __fish_seen_subcommand_from add list remove passwd help" -f -a "passwd" -d 'Change an account\'s password (at least 12 characters)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and not __fish_seen_subcommand_from add list remove passwd help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from add" -l db -d 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from add" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'Exactly one JSON document on stdout'
name\t'Ids only, one per line'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from add" -l field -d 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from add" -l color -d 'When to color output: auto colors a terminal unless NO_COLOR is set' -r -f -a "auto\t'Color on a terminal, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from add" -l password-stdin -d 'Read the password from stdin (one trailing newline is stripped)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from add" -s q -l quiet -d 'Print no notes or progress on stderr (errors and warnings still)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from add" -s y -l yes -d 'Answer yes to every confirmation'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from add" -l no-input -d 'Never prompt; implied when stdin is not a terminal'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from list" -l db -d 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'Exactly one JSON document on stdout'
name\t'Ids only, one per line'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from list" -l field -d 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from list" -l color -d 'When to color output: auto colors a terminal unless NO_COLOR is set' -r -f -a "auto\t'Color on a terminal, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print no notes or progress on stderr (errors and warnings still)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from list" -s y -l yes -d 'Answer yes to every confirmation'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; implied when stdin is not a terminal'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from remove" -l db -d 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from remove" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'Exactly one JSON document on stdout'
name\t'Ids only, one per line'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from remove" -l field -d 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from remove" -l color -d 'When to color output: auto colors a terminal unless NO_COLOR is set' -r -f -a "auto\t'Color on a terminal, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from remove" -l ignore-missing -d 'Succeed when something named does not exist (or is already revoked) instead of exiting 3'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from remove" -s q -l quiet -d 'Print no notes or progress on stderr (errors and warnings still)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from remove" -s y -l yes -d 'Answer yes to every confirmation'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from remove" -l no-input -d 'Never prompt; implied when stdin is not a terminal'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from passwd" -l db -d 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from passwd" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'Exactly one JSON document on stdout'
name\t'Ids only, one per line'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from passwd" -l field -d 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from passwd" -l color -d 'When to color output: auto colors a terminal unless NO_COLOR is set' -r -f -a "auto\t'Color on a terminal, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from passwd" -l password-stdin -d 'Read the password from stdin (one trailing newline is stripped)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from passwd" -s q -l quiet -d 'Print no notes or progress on stderr (errors and warnings still)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from passwd" -s y -l yes -d 'Answer yes to every confirmation'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from passwd" -l no-input -d 'Never prompt; implied when stdin is not a terminal'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from passwd" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from passwd" -s V -l version -d 'Print version'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add an account; the password (at least 12 characters) comes from a hidden prompt or --password-stdin'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "list" -d 'List accounts (never passwords)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove an account'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "passwd" -d 'Change an account\'s password (at least 12 characters)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand prune" -l expired-for -d 'Delete clients whose secret expired more than this long ago, e.g. 30d' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand prune" -l unused-for -d 'Delete clients registered over HTTP and unused for this long (never used: since registration)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand prune" -l keep-events -d 'Delete audit log entries older than this, e.g. 365d' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand prune" -l db -d 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand prune" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'Exactly one JSON document on stdout'
name\t'Ids only, one per line'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand prune" -l field -d 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand prune" -l color -d 'When to color output: auto colors a terminal unless NO_COLOR is set' -r -f -a "auto\t'Color on a terminal, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand prune" -l include-provisioned -d 'With --unused-for, also consider clients registered with the CLI or apply'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand prune" -l dry-run -d 'List what would be deleted without deleting it'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand prune" -s q -l quiet -d 'Print no notes or progress on stderr (errors and warnings still)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand prune" -s y -l yes -d 'Answer yes to every confirmation'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand prune" -l no-input -d 'Never prompt; implied when stdin is not a terminal'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand prune" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand prune" -s V -l version -d 'Print version'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand apply" -l db -d 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand apply" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'Exactly one JSON document on stdout'
name\t'Ids only, one per line'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand apply" -l field -d 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand apply" -l color -d 'When to color output: auto colors a terminal unless NO_COLOR is set' -r -f -a "auto\t'Color on a terminal, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand apply" -l prune -d 'Also delete clients that are not in the file (asks for confirmation like delete)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand apply" -l dry-run -d 'Show what would change without changing anything (every line says "would …")'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand apply" -s q -l quiet -d 'Print no notes or progress on stderr (errors and warnings still)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand apply" -s y -l yes -d 'Answer yes to every confirmation'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand apply" -l no-input -d 'Never prompt; implied when stdin is not a terminal'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand apply" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand apply" -s V -l version -d 'Print version'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand export" -l db -d 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand export" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'Exactly one JSON document on stdout'
name\t'Ids only, one per line'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand export" -l field -d 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand export" -l color -d 'When to color output: auto colors a terminal unless NO_COLOR is set' -r -f -a "auto\t'Color on a terminal, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand export" -s q -l quiet -d 'Print no notes or progress on stderr (errors and warnings still)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand export" -s y -l yes -d 'Answer yes to every confirmation'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand export" -l no-input -d 'Never prompt; implied when stdin is not a terminal'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand export" -s V -l version -d 'Print version'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand events" -l client -d 'Only events about this client' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand events" -l since -d 'Only events at or after this time (RFC 3339, a date, or a duration ago such as 7d)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand events" -l until -d 'Only events before this time, not at it (RFC 3339, a date, or a duration ago)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand events" -l action -d 'Only events with this action, e.g. register, delete (repeatable or comma-separated)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand events" -l limit -d 'At most this many, newest first' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand events" -l db -d 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand events" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'Exactly one JSON document on stdout'
name\t'Ids only, one per line'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand events" -l field -d 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand events" -l color -d 'When to color output: auto colors a terminal unless NO_COLOR is set' -r -f -a "auto\t'Color on a terminal, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand events" -s q -l quiet -d 'Print no notes or progress on stderr (errors and warnings still)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand events" -s y -l yes -d 'Answer yes to every confirmation'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand events" -l no-input -d 'Never prompt; implied when stdin is not a terminal'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand events" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand events" -s V -l version -d 'Print version'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and not __fish_seen_subcommand_from check backup copy help" -l db -d 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and not __fish_seen_subcommand_from check backup copy help" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'Exactly one JSON document on stdout'
name\t'Ids only, one per line'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and not __fish_seen_subcommand_from check backup copy help" -l field -d 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and not __fish_seen_subcommand_from check backup copy help" -l color -d 'When to color output: auto colors a terminal unless NO_COLOR is set' -r -f -a "auto\t'Color on a terminal, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and not __fish_seen_subcommand_from check backup copy help" -s q -l quiet -d 'Print no notes or progress on stderr (errors and warnings still)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and not __fish_seen_subcommand_from check backup copy help" -s y -l yes -d 'Answer yes to every confirmation'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and not __fish_seen_subcommand_from check backup copy help" -l no-input -d 'Never prompt; implied when stdin is not a terminal'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and not __fish_seen_subcommand_from check backup copy help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and not __fish_seen_subcommand_from check backup copy help" -s V -l version -d 'Print version'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and not __fish_seen_subcommand_from check backup copy help" -f -a "check" -d 'Check integrity, foreign keys and client rows (exit 1 on damage)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and not __fish_seen_subcommand_from check backup copy help" -f -a "backup" -d 'Write a consistent copy of the database while others keep using it'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and not __fish_seen_subcommand_from check backup copy help" -f -a "copy" -d 'Copy a whole registry into an empty database, on either backend'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and not __fish_seen_subcommand_from check backup copy help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and __fish_seen_subcommand_from check" -l db -d 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and __fish_seen_subcommand_from check" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'Exactly one JSON document on stdout'
name\t'Ids only, one per line'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and __fish_seen_subcommand_from check" -l field -d 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and __fish_seen_subcommand_from check" -l color -d 'When to color output: auto colors a terminal unless NO_COLOR is set' -r -f -a "auto\t'Color on a terminal, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and __fish_seen_subcommand_from check" -s q -l quiet -d 'Print no notes or progress on stderr (errors and warnings still)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and __fish_seen_subcommand_from check" -s y -l yes -d 'Answer yes to every confirmation'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and __fish_seen_subcommand_from check" -l no-input -d 'Never prompt; implied when stdin is not a terminal'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and __fish_seen_subcommand_from backup" -l db -d 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and __fish_seen_subcommand_from backup" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'Exactly one JSON document on stdout'
name\t'Ids only, one per line'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and __fish_seen_subcommand_from backup" -l field -d 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and __fish_seen_subcommand_from backup" -l color -d 'When to color output: auto colors a terminal unless NO_COLOR is set' -r -f -a "auto\t'Color on a terminal, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and __fish_seen_subcommand_from backup" -s q -l quiet -d 'Print no notes or progress on stderr (errors and warnings still)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and __fish_seen_subcommand_from backup" -s y -l yes -d 'Answer yes to every confirmation'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and __fish_seen_subcommand_from backup" -l no-input -d 'Never prompt; implied when stdin is not a terminal'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and __fish_seen_subcommand_from backup" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and __fish_seen_subcommand_from backup" -s V -l version -d 'Print version'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and __fish_seen_subcommand_from copy" -l db -d 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and __fish_seen_subcommand_from copy" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'Exactly one JSON document on stdout'
name\t'Ids only, one per line'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and __fish_seen_subcommand_from copy" -l field -d 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and __fish_seen_subcommand_from copy" -l color -d 'When to color output: auto colors a terminal unless NO_COLOR is set' -r -f -a "auto\t'Color on a terminal, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and __fish_seen_subcommand_from copy" -s q -l quiet -d 'Print no notes or progress on stderr (errors and warnings still)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and __fish_seen_subcommand_from copy" -s y -l yes -d 'Answer yes to every confirmation'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and __fish_seen_subcommand_from copy" -l no-input -d 'Never prompt; implied when stdin is not a terminal'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and __fish_seen_subcommand_from copy" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and __fish_seen_subcommand_from copy" -s V -l version -d 'Print version'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "check" -d 'Check integrity, foreign keys and client rows (exit 1 on damage)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "backup" -d 'Write a consistent copy of the database while others keep using it'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "copy" -d 'Copy a whole registry into an empty database, on either backend'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand db; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand serve" -l listen -d 'Address to listen on (port 0 picks a free port)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand serve" -l tls-cert -d 'Serve HTTPS with this PEM certificate chain (leaf first); needs --tls-key' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand serve" -l tls-key -d 'The PEM private key (PKCS#8, PKCS#1 or SEC1) of --tls-cert; needs --tls-cert' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand serve" -l issuer -d 'Public base URL of the registry, e.g. https://auth.example.com' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand serve" -l path-prefix -d 'Path under which the /register routes are served, e.g. /oauth' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand serve" -l allowed-grant-types -d 'Grant types HTTP registrations may ask for (comma-separated; default: any)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand serve" -l allowed-response-types -d 'Response types HTTP registrations may ask for (comma-separated; default: any)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand serve" -l allowed-auth-methods -d 'token_endpoint_auth_method values HTTP registrations may ask for (comma-separated)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand serve" -l allowed-scopes -d 'Scope tokens HTTP registrations may ask for (comma-separated; default: any)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand serve" -l secret-expires-in -d 'Lifetime of client secrets issued over HTTP, e.g. 90d (default: never expire)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand serve" -l max-clients -d 'Refuse HTTP registrations (403) once the registry holds N clients, however registered' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand serve" -l rate-limit -d 'Per-address limit of registrations without a credential, e.g. 20/min or 100/1h' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand serve" -l admin-failure-limit -d 'Per-address limit of failed admin (Basic) authentications, e.g. 10/min' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand serve" -l as-metadata -d 'The real authorization server\'s RFC 8414 metadata (a JSON object), under which the discovery document is merged' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand serve" -l request-timeout -d 'How long one request (its body and its work) may take before it is answered 408' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand serve" -l header-read-timeout -d 'How long a client may take to send a request\'s line and headers before its connection is closed (slow clients hold a socket and a file descriptor meanwhile)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand serve" -l log-format -d 'Log lines as text for people, or as one JSON object per line for log shippers' -r -f -a "text\t'Human-readable lines'
json\t'One JSON object per line, with the span fields flattened beside the event\'s'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand serve" -l db -d 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand serve" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'Exactly one JSON document on stdout'
name\t'Ids only, one per line'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand serve" -l field -d 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand serve" -l color -d 'When to color output: auto colors a terminal unless NO_COLOR is set' -r -f -a "auto\t'Color on a terminal, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand serve" -l behind-proxy -d 'A TLS-terminating reverse proxy is in front: allow a non-loopback --listen without TLS, and take the client\'s address from X-Forwarded-For'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand serve" -l open-registration -d 'Allow POST /register without an initial access token'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand serve" -s q -l quiet -d 'Print no notes or progress on stderr (errors and warnings still)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand serve" -s y -l yes -d 'Answer yes to every confirmation'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand serve" -l no-input -d 'Never prompt; implied when stdin is not a terminal'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand serve" -s V -l version -d 'Print version'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand completions" -l db -d 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand completions" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'Exactly one JSON document on stdout'
name\t'Ids only, one per line'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand completions" -l field -d 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand completions" -l color -d 'When to color output: auto colors a terminal unless NO_COLOR is set' -r -f -a "auto\t'Color on a terminal, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand completions" -l dynamic -d 'Print the script that asks dcrctl at each Tab, which also completes client ids from the database; source it at shell start-up rather than saving it, so it always matches the installed dcrctl'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand completions" -s q -l quiet -d 'Print no notes or progress on stderr (errors and warnings still)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand completions" -s y -l yes -d 'Answer yes to every confirmation'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand completions" -l no-input -d 'Never prompt; implied when stdin is not a terminal'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand completions" -s V -l version -d 'Print version'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand man" -l out-dir -d 'Write one page per command into this folder instead of printing the main page' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand man" -l db -d 'Path of the registry database [default: $XDG_DATA_HOME/dcrctl/clients.db]' -r -F
complete -c dcrctl -n "__fish_dcrctl_using_subcommand man" -s o -l output -d 'Output format' -r -f -a "table\t'Human-readable tables'
json\t'Exactly one JSON document on stdout'
name\t'Ids only, one per line'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand man" -l field -d 'Only these fields, as JSON members or table columns, in this order (repeatable or comma-separated; show, list, events, token list, admin list)' -r
complete -c dcrctl -n "__fish_dcrctl_using_subcommand man" -l color -d 'When to color output: auto colors a terminal unless NO_COLOR is set' -r -f -a "auto\t'Color on a terminal, unless NO_COLOR is set'
always\t'Always color'
never\t'Never color'"
complete -c dcrctl -n "__fish_dcrctl_using_subcommand man" -s q -l quiet -d 'Print no notes or progress on stderr (errors and warnings still)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand man" -s y -l yes -d 'Answer yes to every confirmation'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand man" -l no-input -d 'Never prompt; implied when stdin is not a terminal'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand man" -s V -l version -d 'Print version'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand help; and not __fish_seen_subcommand_from register show list update delete rotate-secret rotate-token verify-secret token admin prune apply export events db serve completions man help" -f -a "register" -d 'Register a new client and print its credentials, once'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand help; and not __fish_seen_subcommand_from register show list update delete rotate-secret rotate-token verify-secret token admin prune apply export events db serve completions man help" -f -a "show" -d 'Show one client\'s metadata and status (never a secret)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand help; and not __fish_seen_subcommand_from register show list update delete rotate-secret rotate-token verify-secret token admin prune apply export events db serve completions man help" -f -a "list" -d 'List clients, streamed (oldest first unless --sort)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand help; and not __fish_seen_subcommand_from register show list update delete rotate-secret rotate-token verify-secret token admin prune apply export events db serve completions man help" -f -a "update" -d 'Change a client\'s metadata'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand help; and not __fish_seen_subcommand_from register show list update delete rotate-secret rotate-token verify-secret token admin prune apply export events db serve completions man help" -f -a "delete" -d 'Delete clients with their secrets and tokens'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand help; and not __fish_seen_subcommand_from register show list update delete rotate-secret rotate-token verify-secret token admin prune apply export events db serve completions man help" -f -a "rotate-secret" -d 'Issue a new client secret, printed once'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand help; and not __fish_seen_subcommand_from register show list update delete rotate-secret rotate-token verify-secret token admin prune apply export events db serve completions man help" -f -a "rotate-token" -d 'Issue a new registration access token, printed once; the old one stops working'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand help; and not __fish_seen_subcommand_from register show list update delete rotate-secret rotate-token verify-secret token admin prune apply export events db serve completions man help" -f -a "verify-secret" -d 'Check a client secret read from stdin (exit 0 valid, 6 rejected)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand help; and not __fish_seen_subcommand_from register show list update delete rotate-secret rotate-token verify-secret token admin prune apply export events db serve completions man help" -f -a "token" -d 'Initial access tokens for dynamic registration (POST /register)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand help; and not __fish_seen_subcommand_from register show list update delete rotate-secret rotate-token verify-secret token admin prune apply export events db serve completions man help" -f -a "admin" -d 'Accounts for HTTP Basic authentication to the registration API'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand help; and not __fish_seen_subcommand_from register show list update delete rotate-secret rotate-token verify-secret token admin prune apply export events db serve completions man help" -f -a "prune" -d 'Delete expired, unused and stale records (for cron)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand help; and not __fish_seen_subcommand_from register show list update delete rotate-secret rotate-token verify-secret token admin prune apply export events db serve completions man help" -f -a "apply" -d 'Create, update (and with --prune delete) clients to match a JSON file'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand help; and not __fish_seen_subcommand_from register show list update delete rotate-secret rotate-token verify-secret token admin prune apply export events db serve completions man help" -f -a "export" -d 'Print every client as the JSON that apply reads (never a secret)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand help; and not __fish_seen_subcommand_from register show list update delete rotate-secret rotate-token verify-secret token admin prune apply export events db serve completions man help" -f -a "events" -d 'Show the audit log, newest first'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand help; and not __fish_seen_subcommand_from register show list update delete rotate-secret rotate-token verify-secret token admin prune apply export events db serve completions man help" -f -a "db" -d 'Check, back up or copy the registry database'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand help; and not __fish_seen_subcommand_from register show list update delete rotate-secret rotate-token verify-secret token admin prune apply export events db serve completions man help" -f -a "serve" -d 'Serve the registration API (RFC 7591 / RFC 7592) over HTTP'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand help; and not __fish_seen_subcommand_from register show list update delete rotate-secret rotate-token verify-secret token admin prune apply export events db serve completions man help" -f -a "completions" -d 'Print a shell completion script'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand help; and not __fish_seen_subcommand_from register show list update delete rotate-secret rotate-token verify-secret token admin prune apply export events db serve completions man help" -f -a "man" -d 'Print the man page as roff, or write one page per command'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand help; and not __fish_seen_subcommand_from register show list update delete rotate-secret rotate-token verify-secret token admin prune apply export events db serve completions man help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "create" -d 'Mint an initial access token, printed once'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "list" -d 'List initial access tokens (never the tokens themselves)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "revoke" -d 'Revoke an initial access token by the id that list shows'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand help; and __fish_seen_subcommand_from admin" -f -a "add" -d 'Add an account; the password (at least 12 characters) comes from a hidden prompt or --password-stdin'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand help; and __fish_seen_subcommand_from admin" -f -a "list" -d 'List accounts (never passwords)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand help; and __fish_seen_subcommand_from admin" -f -a "remove" -d 'Remove an account'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand help; and __fish_seen_subcommand_from admin" -f -a "passwd" -d 'Change an account\'s password (at least 12 characters)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "check" -d 'Check integrity, foreign keys and client rows (exit 1 on damage)'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "backup" -d 'Write a consistent copy of the database while others keep using it'
complete -c dcrctl -n "__fish_dcrctl_using_subcommand help; and __fish_seen_subcommand_from db" -f -a "copy" -d 'Copy a whole registry into an empty database, on either backend'
