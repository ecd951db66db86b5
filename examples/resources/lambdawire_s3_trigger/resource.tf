# S3 invokes the function for every object created under images/. The
# statement that lets s3.amazonaws.com invoke it, for exactly this bucket and
# its owner's account, is written first (S3 checks it when the notification is
# written), then the bucket's notification entry. Every other entry of the
# bucket (queues, topics, other functions, EventBridge) is kept as it is.
resource "lambdawire_s3_trigger" "uploads" {
  bucket        = "example-uploads"
  function_name = "thumbnailer"
  events        = ["s3:ObjectCreated:*"]
  filter_prefix = "images/"
}

# Two triggers of one bucket must not overlap: here the prefixes keep them
# apart (an overlap is an error at plan, naming the other entry).
resource "lambdawire_s3_trigger" "reports" {
  bucket        = "example-uploads"
  function_name = "arn:aws:lambda:us-east-1:123456789012:function:report-indexer"
  qualifier     = "live"
  events        = ["s3:ObjectCreated:Put", "s3:ObjectRemoved:*"]
  filter_prefix = "reports/"
  filter_suffix = ".csv"

  timeouts {
    create = "5m"
  }
}
