"""The caller's side in code, run with the partner's CallerRole credentials:
assume the role in the function's account with the external id, then invoke
the function with the temporary credentials."""

import json
import os

import boto3

ROLE_ARN = "arn:aws:iam::123456789012:role/partner-auth-invoker"
FUNCTION_ARN = "arn:aws:lambda:us-east-1:123456789012:function:auth"

credentials = boto3.client("sts").assume_role(
    RoleArn=ROLE_ARN,
    RoleSessionName="partner-invoke",
    ExternalId=os.environ["PARTNER_EXTERNAL_ID"],  # never in the source
)["Credentials"]

lambda_client = boto3.client(
    "lambda",
    region_name="us-east-1",
    aws_access_key_id=credentials["AccessKeyId"],
    aws_secret_access_key=credentials["SecretAccessKey"],
    aws_session_token=credentials["SessionToken"],
)
response = lambda_client.invoke(
    FunctionName=FUNCTION_ARN,
    Payload=json.dumps({"user": "alice"}).encode(),
)
print(json.loads(response["Payload"].read()))
