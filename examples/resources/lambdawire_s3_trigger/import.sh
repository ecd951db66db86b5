# An entry is imported by its bucket and its id in the bucket's notification
# configuration (aws s3api get-bucket-notification-configuration --bucket
# <bucket>). The statement that lets S3 invoke the function is the one this
# resource writes; when it is missing, the next plan adds it.
terraform import lambdawire_s3_trigger.uploads example-uploads/lw-0123456789abcdef
