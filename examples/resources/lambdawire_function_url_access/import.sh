# Both statements are imported by function/url-access/<statement_id_prefix>,
# or function:qualifier/url-access/<statement_id_prefix> on an alias. The
# function may be given by name or by ARN.
terraform import lambdawire_function_url_access.partner partner-webhook:live/url-access/partner
