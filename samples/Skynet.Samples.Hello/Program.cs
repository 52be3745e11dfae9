System.Console.WriteLine("placeholder: replaced by the runtime core commit");
