# aws_s3_bucket_notification owns the bucket's whole notification
# configuration: it and lambdawire_s3_trigger must never manage one bucket
# together, or each apply removes what the other wrote. To move, take it out
# of state without destroying anything (a removed block, or
# `terraform state rm aws_s3_bucket_notification.uploads`), then import each of
# its lambda_function entries by <bucket>/<entry id>. Its queue and topic
# entries stay in the bucket untouched; manage them outside Terraform from now.
removed {
  from = aws_s3_bucket_notification.uploads

  lifecycle {
    destroy = false
  }
}

import {
  to = lambdawire_s3_trigger.thumbnails
  id = "example-uploads/thumbnails"
}

resource "lambdawire_s3_trigger" "thumbnails" {
  id            = "thumbnails" # the entry's id as aws_s3_bucket_notification wrote it
  bucket        = "example-uploads"
  function_name = "thumbnailer"
  events        = ["s3:ObjectCreated:*"]
  filter_suffix = ".jpg"
}
